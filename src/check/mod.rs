//! The rule catalogue (docs/rules.md): each rule has an id, a severity, and yields findings
//! that point at stable keys. Passing checks produce no finding.
//!
//! Layout: `registry` (the catalogue as data), `config` (TOML overrides, deadlines),
//! `messages` (the bilingual catalogue), `rules::{structure, tables, prose, cross}` (the
//! rules by family). Loading, pairing and checking a whole batch is `crate::batch`.

pub mod config;
pub mod group;
pub mod messages;
pub mod registry;
pub mod rules;

use serde::{Deserialize, Serialize};

/// How serious a finding is (E, W, I in docs/rules.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// What a rule concluded at one location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The rule's condition does not hold.
    Fail,
    /// An operand is missing (unreadable cell, absent table, no date): no evidence, no fail.
    NotAssessable,
}

/// One finding: a rule that failed (or could not be assessed) at one location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id as listed in docs/rules.md (`T3-BAL`, `X-CARRY`, …).
    pub rule: String,
    pub severity: Severity,
    pub outcome: Outcome,
    /// Stable key of the place: `T3.R3_7.C1`, `T4.review.total`, `S6`, `S1:L12`, `META.date`.
    pub location: String,
    /// Human-readable message with the formula in words and its numbers,
    /// e.g. `（七）总计 = （一）+…+（六）: 20 ≠ 26 (自然人)`.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// For prose rules: the sentence quoted from the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Source line the finding points at, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Every cell key the formula used (to highlight operands in the table view).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<String>,
    /// Digest of the text of every cell in `cells` as checked, so a follow-up mark can tell
    /// the same error from one whose operands changed (`None` without cells). Not part of
    /// the JSON output.
    #[serde(skip)]
    pub operands: Option<String>,
}

impl Finding {
    /// Stable key of the finding itself: rule id + location.
    pub fn key(&self) -> String {
        crate::model::key::finding_key(&self.rule, &self.location)
    }

    /// How every output shows the finding: its severity when it failed, `NotAssessable`
    /// (mark `?`) when an operand was missing — never as an error.
    pub fn mark(&self) -> Mark {
        match (self.outcome, self.severity) {
            (Outcome::NotAssessable, _) => Mark::NotAssessable,
            (Outcome::Fail, Severity::Error) => Mark::Error,
            (Outcome::Fail, Severity::Warning) => Mark::Warning,
            (Outcome::Fail, Severity::Info) => Mark::Info,
        }
    }
}

/// What the outputs (table, CSV, JSON, screen) show for a finding: one of the three
/// severities for a failed rule, or "not assessable", which has its own mark and count and
/// never changes a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mark {
    Error,
    Warning,
    Info,
    NotAssessable,
}

impl Mark {
    /// Machine value (JSON, CSV): `error`, `warning`, `info`, `not_assessable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Error => "error",
            Mark::Warning => "warning",
            Mark::Info => "info",
            Mark::NotAssessable => "not_assessable",
        }
    }

    /// The mark's word in one language: 错误 error, 警告 warning, 提示 info, 无法判断 not
    /// assessable.
    pub fn label(self, lang: crate::i18n::Lang) -> String {
        match self {
            Mark::NotAssessable => messages::label(lang, "outcome.not_assessable"),
            _ => messages::label(lang, &format!("sev.{}", self.as_str())),
        }
    }

    /// One-character mark for lists: ✗ ! i ?.
    pub fn glyph(self) -> &'static str {
        match self {
            Mark::Error => "✗",
            Mark::Warning => "!",
            Mark::Info => "i",
            Mark::NotAssessable => "?",
        }
    }
}

/// A report's review status (issue: fail if any error, warn if any warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Fail,
    Warn,
    Pass,
    Unreadable,
}

impl Status {
    /// Status from findings: info never changes it; not-assessable findings count at their severity
    /// only when they fail — a missing operand is not evidence of failure.
    pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Status {
        let mut status = Status::Pass;
        for f in findings {
            if f.outcome != Outcome::Fail {
                continue;
            }
            match f.severity {
                Severity::Error => return Status::Fail,
                Severity::Warning => status = Status::Warn,
                Severity::Info => {}
            }
        }
        status
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Pass => "pass",
            Status::Unreadable => "unreadable",
        }
    }
}

use crate::i18n::Lang;
use crate::model::key::{CellKey, TableId};
use crate::model::{Report, Template, Value};
use std::collections::HashMap;

pub use crate::batch::check_entries as check_batch;
pub use crate::batch::pairing::{pair_reports, Pair};
pub use crate::model::fmt_amount as fmt_num;
pub use config::{AgencyType, Config};

/// Every single-report rule on one report.
pub fn check_report(report: &Report, config: &Config, lang: Lang) -> Vec<Finding> {
    let mut ctx = Ctx::new(report, config, lang);
    rules::structure::run(&mut ctx);
    rules::tables::run(&mut ctx);
    rules::prose::run(&mut ctx);
    ctx.out
}

/// The cross-year rules (X-*) on the same agency's reports for consecutive years.
pub fn check_pair(prev: &Report, cur: &Report, config: &Config, lang: Lang) -> Vec<Finding> {
    let mut ctx = Ctx::new(cur, config, lang);
    rules::cross::run(&mut ctx, prev);
    ctx.out
}

/// [`check_pair`] with the normalised sentences of both reports given
/// ([`rules::cross::Texts`]): for the slim reports a batch keeps, which hold no prose.
pub fn check_pair_with(
    prev: &Report,
    cur: &Report,
    prev_texts: &rules::cross::Texts,
    cur_texts: &rules::cross::Texts,
    config: &Config,
    lang: Lang,
) -> Vec<Finding> {
    let mut ctx = Ctx::new(cur, config, lang);
    rules::cross::run_with(&mut ctx, prev, prev_texts, cur_texts);
    ctx.out
}

/// The outcome for one entry of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportResult {
    pub status: Status,
    /// Own findings and the cross-year findings where this report is the later year.
    pub findings: Vec<Finding>,
    /// Why the file could not be loaded (status `unreadable`).
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BatchResult {
    /// One per entry, same order.
    pub reports: Vec<ReportResult>,
    pub pairs: Vec<Pair>,
}

impl BatchResult {
    /// Number of reports per status, in the order fail, warn, pass, unreadable.
    pub fn counts(&self) -> [(Status, usize); 4] {
        let n = |s: Status| self.reports.iter().filter(|r| r.status == s).count();
        [
            (Status::Fail, n(Status::Fail)),
            (Status::Warn, n(Status::Warn)),
            (Status::Pass, n(Status::Pass)),
            (Status::Unreadable, n(Status::Unreadable)),
        ]
    }

    /// True when any report fails (exit code 1).
    pub fn any_fail(&self) -> bool {
        self.reports.iter().any(|r| r.status == Status::Fail)
    }
}

/// The parts of a report the cross-year rules read besides tables and identity.
pub const CROSS_SECTIONS: [&str; 3] = ["S1", "S5", "S6"];

/// Whether the cross-year rules (rules/cross.rs) read this cell (what a batch keeps of a
/// report's tables, `batch::slim`): T3 rows R1, R2 and R4
/// (X-CARRY, X-SWING), T4 totals (X-SWING) and table 2 (X-ITEMS-19, X-PUBTOTAL-19,
/// X-INFORCE-21, X-BRIDGE-20-21, X-SWING).
pub fn cross_cell(key: &str) -> bool {
    use crate::model::key::{CellKey, TableId};
    match CellKey::parse(key) {
        Some(c) => match c.table {
            TableId::T2 => true,
            TableId::T3 => matches!(c.row, "R1" | "R2" | "R4"),
            TableId::T4 => c.col == "total",
        },
        None => false,
    }
}

/// FxHash (as in rustc): a fast, non-cryptographic hasher for the per-report cell index,
/// whose keys come from the report itself. SipHash showed in profiles of `check`.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // Shifted in byte by byte: a copy of a variable length is a memcpy call, and
            // most keys (`R3_7`, `C1`) are shorter than eight bytes.
            let word = rest
                .iter()
                .enumerate()
                .fold(0u64, |w, (i, b)| w | (u64::from(*b) << (8 * i)));
            self.add(word);
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds [`FxHasher`]s.
pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// An operand of a formula.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand<'a> {
    /// The number (blank counts as 0).
    Num(f64),
    /// The cell is not in the report.
    Missing,
    /// The cell holds text that is not a number.
    Unreadable(&'a Value),
    /// The numbers add up to more than an f64 holds.
    Overflow,
}

/// Everything a rule needs: the report, a cell index, the configuration and the sink.
pub struct Ctx<'a> {
    pub report: &'a Report,
    pub config: &'a Config,
    pub lang: Lang,
    pub template: Template,
    /// The cells by their key's parts, so a rule looks a cell up without building its key.
    cells: HashMap<CellKey<'a>, &'a Value, FxBuild>,
    /// Cells whose key is not `table.row.col` (a hand-edited file): by their text.
    odd_cells: HashMap<&'a str, &'a Value, FxBuild>,
    /// Blank table-3 totals (C7) whose row has applications in its other columns: the total
    /// the row's columns add up to, used by every rule but T3-ROW (whose own operand it is).
    /// Few or none per report.
    derived: Vec<(CellKey<'a>, f64)>,
    pub out: Vec<Finding>,
}

/// How a rule names a cell: by its key's text (`"T3.R1.C1"`, parsed where it is looked up) or
/// by the parts of the key ([`CellKey`], nothing to format or parse).
pub trait CellRef {
    /// The key's parts; `None` for text that is not `table.row.col`.
    fn cell_key(&self) -> Option<CellKey<'_>>;
    /// The key's text, when it was given as text.
    fn key_text(&self) -> Option<&str>;
}

impl CellRef for str {
    fn cell_key(&self) -> Option<CellKey<'_>> {
        CellKey::parse(self)
    }
    fn key_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl CellRef for String {
    fn cell_key(&self) -> Option<CellKey<'_>> {
        CellKey::parse(self)
    }
    fn key_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl CellRef for CellKey<'_> {
    fn cell_key(&self) -> Option<CellKey<'_>> {
        Some(*self)
    }
    fn key_text(&self) -> Option<&str> {
        None
    }
}

impl<T: CellRef + ?Sized> CellRef for &T {
    fn cell_key(&self) -> Option<CellKey<'_>> {
        (**self).cell_key()
    }
    fn key_text(&self) -> Option<&str> {
        (**self).key_text()
    }
}

/// Blank 总计 cells of table 3 that the other columns of their row fill in (the blank-cell
/// policy of docs/templates.md): a blank total beside applications counted in 自然人 or 法人 columns
/// is not 0 applications. Rows whose other columns are blank or 0 are left alone (0 either way).
pub fn derived_totals(report: &Report) -> Vec<(&str, f64)> {
    let Some(t) = &report.table3 else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for row in t.rows.iter().filter(|r| r.recognised) {
        let Some(total) = row.cells.iter().find(|c| c.key.ends_with(".C7")) else {
            continue;
        };
        if !total.value.blank {
            continue;
        }
        let parts: Vec<Option<f64>> = row
            .cells
            .iter()
            .filter(|c| !c.key.ends_with(".C7"))
            .map(|c| c.value.amount())
            .collect();
        if parts.len() != 6 || parts.iter().any(|p| p.is_none()) {
            continue;
        }
        let sum: f64 = parts.into_iter().flatten().sum();
        if sum != 0.0 && sum.is_finite() {
            out.push((total.key.as_str(), sum));
        }
    }
    out
}

/// A cell's number for arithmetic (blank = 0), with a blank table-3 total derived from its
/// row ([`derived_totals`]); for reports other than the one a `Ctx` holds (cross-year rules).
pub fn amount_in(report: &Report, key: &str) -> Option<f64> {
    let v = report.cell(key)?;
    let total = crate::model::key::CellKey::parse(key)
        .is_some_and(|c| c.table == crate::model::key::TableId::T3 && c.col == "C7");
    if v.blank && total {
        if let Some((_, n)) = derived_totals(report).into_iter().find(|(k, _)| *k == key) {
            return Some(n);
        }
    }
    v.amount()
}

/// Add numbers; `None` when the sum is too large for an f64 (two 1e308 cells): such a sum
/// is reported as not assessable, never compared as infinity.
pub fn add(values: &[f64]) -> Option<f64> {
    let s: f64 = values.iter().sum();
    s.is_finite().then_some(s)
}

impl<'a> Ctx<'a> {
    pub fn new(report: &'a Report, config: &'a Config, lang: Lang) -> Ctx<'a> {
        let mut cells = HashMap::with_capacity_and_hasher(240, FxBuild::default());
        let mut odd_cells = HashMap::default();
        for t in report.tables() {
            let table = TableId::parse(&t.id);
            for row in &t.rows {
                for c in &row.cells {
                    // Nearly every key is `table.row.col` of its own table and row: read
                    // as such without searching it; any other key is parsed.
                    let own = table.and_then(|table| {
                        let col = c
                            .key
                            .strip_prefix(table.as_str())?
                            .strip_prefix('.')?
                            .strip_prefix(row.key.as_str())?
                            .strip_prefix('.')?;
                        let plain = !col.is_empty()
                            && !col.bytes().any(|b| matches!(b, b'.' | b'#' | b':'));
                        (plain && !row.key.is_empty()).then_some(CellKey {
                            table,
                            row: &row.key,
                            col,
                        })
                    });
                    match own.or_else(|| CellKey::parse(&c.key)) {
                        Some(k) => cells.entry(k).or_insert(&c.value),
                        None => odd_cells.entry(c.key.as_str()).or_insert(&c.value),
                    };
                }
            }
        }
        let derived = derived_totals(report)
            .into_iter()
            .filter_map(|(k, n)| Some((CellKey::parse(k)?, n)))
            .collect();
        Ctx {
            report,
            config,
            lang,
            template: report.template,
            cells,
            odd_cells,
            derived,
            out: Vec::new(),
        }
    }

    /// The rule is switched on and applies to this report's template.
    pub fn on(&self, id: &str) -> bool {
        match registry::rule(id) {
            Some(def) => {
                self.config.enabled(id) && (def.scope == 2 || def.applies_to(self.template))
            }
            None => false,
        }
    }

    pub fn tr(&self, key: &str, args: &[&str]) -> String {
        messages::tr(self.lang, key, args)
    }

    pub fn label(&self, key: &str) -> String {
        messages::label(self.lang, key)
    }

    pub fn value(&self, key: &(impl CellRef + ?Sized)) -> Option<&'a Value> {
        match key.cell_key() {
            Some(k) => {
                // A shorter-lived key than the report's: the map is read at that lifetime.
                let cells: &HashMap<CellKey<'_>, &'a Value, FxBuild> = &self.cells;
                cells.get(&k).copied()
            }
            None => self.odd_cells.get(key.key_text()?).copied(),
        }
    }

    /// The derived total of a blank 总计 ([`derived_totals`]), if `key` is one.
    fn derived(&self, key: &(impl CellRef + ?Sized)) -> Option<f64> {
        if self.derived.is_empty() {
            return None;
        }
        let k = key.cell_key()?;
        self.derived.iter().find(|(d, _)| *d == k).map(|(_, n)| *n)
    }

    pub fn operand(&self, key: &(impl CellRef + ?Sized)) -> Operand<'a> {
        if let Some(n) = self.derived(key) {
            return Operand::Num(n);
        }
        self.printed_operand(key)
    }

    /// The operand as printed, without a derived total (blank = 0): for T3-ROW, whose own
    /// operand the total is.
    pub fn printed_operand(&self, key: &(impl CellRef + ?Sized)) -> Operand<'a> {
        match self.value(key) {
            None => Operand::Missing,
            Some(v) => match v.amount() {
                Some(n) => Operand::Num(n),
                None => Operand::Unreadable(v),
            },
        }
    }

    /// Sum the operands; the first missing or unreadable one stops the sum, and so does a
    /// sum too large for an f64 (`Operand::Overflow`).
    pub fn sum(&self, keys: &[impl CellRef]) -> Result<f64, Operand<'a>> {
        let mut total = 0.0;
        for k in keys {
            match self.operand(k) {
                Operand::Num(n) => total += n,
                other => return Err(other),
            }
        }
        if total.is_finite() {
            Ok(total)
        } else {
            Err(Operand::Overflow)
        }
    }

    /// Whether `key` is a blank total read as the sum of its row's other columns.
    pub fn is_derived(&self, key: &(impl CellRef + ?Sized)) -> bool {
        self.derived(key).is_some()
    }

    /// One operand as a number, or why not.
    pub fn one(&self, key: &(impl CellRef + ?Sized)) -> Result<f64, Operand<'a>> {
        match self.operand(key) {
            Operand::Num(n) => Ok(n),
            other => Err(other),
        }
    }

    /// Keys among `keys` that are missing or unreadable, as a not-assessable message; when
    /// every operand reads, the sum is what failed (too large).
    pub fn na_message(&self, keys: &[impl CellRef + std::fmt::Display]) -> String {
        for k in keys {
            match self.operand(k) {
                Operand::Missing => return self.tr("na.missing", &[&k.to_string()]),
                Operand::Unreadable(v) => {
                    return self.tr("na.operand", &[&k.to_string(), &v.raw]);
                }
                Operand::Num(_) | Operand::Overflow => {}
            }
        }
        self.tr("na.overflow", &[])
    }

    pub fn line_of(&self, key: &(impl CellRef + ?Sized)) -> Option<usize> {
        self.value(key).map(|v| v.line).filter(|l| *l > 0)
    }

    /// A failing finding located at a cell, pointing at that cell's source line.
    pub fn fail_at(&self, rule: &'static str, key: impl Into<String>, message: String) -> F {
        let key = key.into();
        let line = self.line_of(&key);
        F::fail(rule, key, message).line(line)
    }

    /// Record a finding, after the configuration (enabled, severity) is applied.
    pub fn push(&mut self, f: F) {
        let Some(def) = registry::rule(f.rule) else {
            return;
        };
        if !self.config.enabled(f.rule) {
            return;
        }
        // Finding keys (`rule@location`) are unique within a report: a second finding of the
        // same rule at the same place (two sums in one printed line) gets `#2`, `#3`, ….
        let mut location = f.location;
        let taken =
            |out: &[Finding], loc: &str| out.iter().any(|o| o.rule == f.rule && o.location == loc);
        if taken(&self.out, &location) {
            let mut n = 2;
            while taken(&self.out, &crate::model::key::with_repeat(&location, n)) {
                n += 1;
            }
            location = crate::model::key::with_repeat(&location, n);
        }
        // A formula that read a derived total says so.
        let derived = f.cells.iter().filter(|c| self.is_derived(c)).count();
        let message = if derived > 0 && !matches!(f.rule, "T3-ROW" | "FMT-BLANK") {
            format!(
                "{}{}",
                f.message,
                self.tr("derived.note", &[&derived.to_string()])
            )
        } else {
            f.message
        };
        let operands = operand_digest(&f.cells, |k| self.value(k).map(|v| v.raw.as_str()));
        self.out.push(Finding {
            rule: f.rule.to_string(),
            severity: self.config.severity(def, self.template),
            outcome: f.outcome,
            location,
            message,
            expected: f.expected,
            actual: f.actual,
            quote: f.quote,
            line: f.line,
            cells: f.cells,
            operands,
        });
    }
}

/// 12 hex digits of SHA-256 over `key=text` of each cell (`∅` for a missing one).
fn operand_digest<'v>(cells: &[String], text: impl Fn(&str) -> Option<&'v str>) -> Option<String> {
    use sha2::{Digest, Sha256};
    if cells.is_empty() {
        return None;
    }
    let mut hasher = Sha256::new();
    for key in cells {
        let raw = text(key).map_or("\u{2205}", str::trim);
        hasher.update(key.as_bytes());
        hasher.update(b"=");
        hasher.update(raw.as_bytes());
        hasher.update(b"\n");
    }
    Some(hex::encode(hasher.finalize())[..12].to_string())
}

/// A finding under construction.
pub struct F {
    rule: &'static str,
    outcome: Outcome,
    location: String,
    message: String,
    expected: Option<String>,
    actual: Option<String>,
    quote: Option<String>,
    line: Option<usize>,
    cells: Vec<String>,
}

impl F {
    pub fn fail(rule: &'static str, location: impl Into<String>, message: String) -> F {
        F {
            rule,
            outcome: Outcome::Fail,
            location: location.into(),
            message,
            expected: None,
            actual: None,
            quote: None,
            line: None,
            cells: Vec::new(),
        }
    }

    pub fn na(rule: &'static str, location: impl Into<String>, message: String) -> F {
        F {
            outcome: Outcome::NotAssessable,
            ..F::fail(rule, location, message)
        }
    }

    pub fn expected(mut self, e: impl Into<String>) -> F {
        self.expected = Some(e.into());
        self
    }

    pub fn actual(mut self, a: impl Into<String>) -> F {
        self.actual = Some(a.into());
        self
    }

    pub fn quote(mut self, q: impl Into<String>) -> F {
        self.quote = Some(q.into());
        self
    }

    pub fn line(mut self, l: Option<usize>) -> F {
        self.line = l.filter(|l| *l > 0);
        self
    }

    /// The cells the formula used, as keys or their parts ([`CellKey`]).
    pub fn cells(mut self, c: impl IntoIterator<Item = impl Into<String>>) -> F {
        self.cells = c.into_iter().map(Into::into).collect();
        self
    }
}

/// Equality with a small tolerance for decimals.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}
