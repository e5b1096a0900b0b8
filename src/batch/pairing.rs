//! Pairing reports of the same agency in consecutive years, for the cross-year rules and the
//! compare screen alike. For each later report, in order:
//!
//! 1. the same normalised agency key (`Exact`);
//! 2. a unique key that ends with the other (`Suffix`: `洪泽区人民政府` ↔ `淮安市洪泽区人民政府`),
//!    when the shorter is distinctive (not a generic ending such as `人民政府` alone);
//! 3. a fuzzy match (`Fuzzy`, SkimMatcherV2) over the previous year's agencies: the unique best
//!    candidate scoring at least [`FUZZY_MIN`] whose name, without its generic ending, is the
//!    same place (`平潭综合实验区` ↔ `平潭综合实验区管委会`; `淮安市人民政府` is not
//!    `淮安市洪泽区人民政府`).
//!
//! The auditor's choices (`pairings.json`, see [`super::pairings_file`]) are applied on top.

use crate::check::FxBuild;
use crate::model::Report;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Endings that say what kind of body an agency is, not which one. Longest first, so
/// `人民政府` is stripped before `政府`.
const GENERIC: &[&str] = &[
    "管理委员会",
    "人民政府",
    "委员会",
    "管委会",
    "办公室",
    "办公厅",
    "政府",
    "局",
    "委",
    "办",
];

/// Smallest fuzzy score accepted as a pairing without the auditor.
pub const FUZZY_MIN: i64 = 60;

/// How the previous year's report was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "how", content = "score")]
pub enum PairHow {
    /// Same normalised agency key.
    Exact,
    /// One key ends with the other (region prefix, …).
    Suffix,
    /// Fuzzy match over the previous year's agencies, with its score.
    Fuzzy(i64),
    /// Chosen (or confirmed) by the auditor, kept in pairings.json.
    Manual,
}

impl PairHow {
    pub fn describe(self, zh: bool) -> String {
        match (self, zh) {
            (PairHow::Exact, true) => "配对：机构名一致".into(),
            (PairHow::Exact, false) => "paired: same agency key".into(),
            (PairHow::Suffix, true) => "配对：机构名前缀/后缀不同".into(),
            (PairHow::Suffix, false) => "paired: agency key suffix".into(),
            (PairHow::Fuzzy(s), true) => format!("配对：模糊匹配 得分 {s}"),
            (PairHow::Fuzzy(s), false) => format!("paired: fuzzy match, score {s}"),
            (PairHow::Manual, true) => "配对：已人工确认".into(),
            (PairHow::Manual, false) => "paired: confirmed by hand".into(),
        }
    }

    /// What the pairing says about the two agencies as printed (`prev`, `cur`): a key that
    /// agrees is not a name that agrees — 洪泽区人民政府 → 淮安市洪泽区人民政府 pair by their
    /// normalised key, but are printed differently, and the note says so. `with_names`
    /// names both when they differ (the command line; the screen's title names them).
    pub fn describe_names(self, prev: &str, cur: &str, zh: bool, with_names: bool) -> String {
        let same = prev.trim() == cur.trim();
        let mut s = match (self, same, zh) {
            (PairHow::Exact, true, true) => "配对：机构名一致".to_string(),
            (PairHow::Exact, true, false) => "paired: same agency name".to_string(),
            (PairHow::Exact, false, true) => "配对：规范名一致，印刷名不同".to_string(),
            (PairHow::Exact, false, false) => {
                "paired: same normalised name, printed differently".to_string()
            }
            _ => self.describe(zh),
        };
        if with_names && !same {
            let (prev, cur) = (crate::sanitize::clean(prev), crate::sanitize::clean(cur));
            s.push_str(&if zh {
                format!("（{prev} → {cur}）")
            } else {
                format!(" ({prev} → {cur})")
            });
        }
        s
    }
}

/// A pairing of two reports of the same agency in consecutive years.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// Index into the batch entries of the earlier and the later report.
    pub prev: usize,
    pub cur: usize,
    pub agency_key: String,
    pub prev_year: i32,
    pub cur_year: i32,
    pub how: PairHow,
}

/// Normalise a key for matching: drop whitespace and punctuation.
pub fn normalise(key: &str) -> String {
    key.chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !"·・（）()".contains(*c))
        .collect()
}

/// The name without one generic ending.
fn core(key: &str) -> &str {
    GENERIC
        .iter()
        .find_map(|g| key.strip_suffix(g))
        .unwrap_or(key)
}

/// True when `short` is distinctive enough to stand for an agency as a suffix.
fn distinctive(short: &str) -> bool {
    core(short).chars().count() >= 2 && short.chars().count() >= 3
}

/// (shorter, longer) by characters.
fn by_length<'s>(a: &'s str, b: &'s str) -> (&'s str, &'s str) {
    if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    }
}

/// Whether two agency keys name the same agency (exact or distinctive suffix).
pub fn same_agency(a: &str, b: &str) -> bool {
    let (a, b) = (normalise(a), normalise(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = by_length(&a, &b);
    long.ends_with(short) && distinctive(short)
}

/// The two names, without a generic ending, are equal or one ends with the other (a region
/// prefix): 平潭综合实验区 ↔ 平潭综合实验区管委会, 洪泽区人民政府 ↔ 淮安市洪泽区人民政府.
pub fn same_core(a: &str, b: &str) -> bool {
    let (a, b) = (normalise(a), normalise(b));
    let (short, long) = by_length(core(&a), core(&b));
    short.chars().count() >= 2 && long.ends_with(short)
}

/// Fuzzy score of two agency keys: the shorter as the pattern in the longer.
pub fn fuzzy_score(a: &str, b: &str) -> Option<i64> {
    let (a, b) = (normalise(a), normalise(b));
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let (short, long) = by_length(&a, &b);
    SkimMatcherV2::default().fuzzy_match(long, short)
}

/// The name a report is fuzzily matched by: its agency key, or the agency as printed.
pub fn match_name(r: &Report) -> &str {
    if r.agency_key.is_empty() {
        &r.agency
    } else {
        &r.agency_key
    }
}

/// All char-boundary suffixes of `s` (including `s`) that are distinctive.
fn suffixes(s: &str) -> impl Iterator<Item = &str> {
    s.char_indices()
        .map(move |(i, _)| &s[i..])
        .filter(|x| distinctive(x))
}

/// Every report of the batch indexed for pairing: by year and key, by year and suffix; the
/// fuzzy layer's index (by year and name core) is built only when first needed.
/// Keys and suffixes are borrowed from `keys` (no string per entry), the fuzzy layer's from
/// `cores`, computed with it.
struct Index<'r> {
    reports: &'r [(usize, &'r Report)],
    keys: &'r [String],
    by_key: HashMap<(i32, &'r str), Vec<usize>, FxBuild>,
    by_suffix: HashMap<(i32, &'r str), Vec<&'r str>, FxBuild>,
    cores: &'r OnceLock<Vec<String>>,
    fuzzy: OnceLock<FuzzyIndex<'r>>,
}

/// Names without their generic ending (`平潭综合实验区管委会` → `平潭综合实验区`), indexed so
/// "is some previous-year agency the same place?" costs a few lookups, not a scan.
struct FuzzyIndex<'r> {
    cores: &'r [String],
    by_year: HashMap<i32, Vec<usize>, FxBuild>,
    /// (year, core) and (year, suffix of a core of at least 2 characters) → positions.
    by_core: HashMap<(i32, &'r str), Vec<usize>, FxBuild>,
    by_core_suffix: HashMap<(i32, &'r str), Vec<usize>, FxBuild>,
}

/// Each report's name without its generic ending, for the fuzzy layer.
fn cores_of(reports: &[(usize, &Report)]) -> Vec<String> {
    reports
        .iter()
        .map(|(_, r)| core(&normalise(match_name(r))).to_string())
        .collect()
}

impl<'r> FuzzyIndex<'r> {
    fn new(reports: &[(usize, &Report)], cores: &'r [String]) -> FuzzyIndex<'r> {
        let mut by_year: HashMap<i32, Vec<usize>, FxBuild> = HashMap::default();
        let mut by_core: HashMap<(i32, &str), Vec<usize>, FxBuild> = HashMap::default();
        let mut by_core_suffix: HashMap<(i32, &str), Vec<usize>, FxBuild> = HashMap::default();
        for (pos, (_, r)) in reports.iter().enumerate() {
            let Some(y) = r.year else { continue };
            by_year.entry(y).or_default().push(pos);
            let c = cores[pos].as_str();
            by_core.entry((y, c)).or_default().push(pos);
            for (i, _) in c.char_indices() {
                if c[i..].chars().count() >= 2 {
                    by_core_suffix.entry((y, &c[i..])).or_default().push(pos);
                }
            }
        }
        FuzzyIndex {
            cores,
            by_year,
            by_core,
            by_core_suffix,
        }
    }

    /// Some report of `year` is the same place as the one at `pos` ([`same_core`]).
    fn any_same_core(&self, pos: usize, year: i32) -> bool {
        let c = &self.cores[pos];
        if c.chars().count() < 2 {
            return false;
        }
        // A previous core ending with ours, or ours ending with a previous core (≥ 2 chars).
        self.by_core_suffix.contains_key(&(year, c.as_str()))
            || c.char_indices()
                .map(|(i, _)| &c[i..])
                .filter(|s| s.chars().count() >= 2)
                .any(|s| self.by_core.contains_key(&(year, s)))
    }
}

impl<'r> Index<'r> {
    fn new(
        reports: &'r [(usize, &'r Report)],
        keys: &'r [String],
        cores: &'r OnceLock<Vec<String>>,
    ) -> Index<'r> {
        let mut by_key: HashMap<(i32, &str), Vec<usize>, FxBuild> = HashMap::default();
        let mut by_suffix: HashMap<(i32, &str), Vec<&str>, FxBuild> = HashMap::default();
        for (pos, (_, r)) in reports.iter().enumerate() {
            let Some(y) = r.year else { continue };
            let key = keys[pos].as_str();
            if !key.is_empty() {
                by_key.entry((y, key)).or_default().push(pos);
            }
            for s in suffixes(key) {
                let v = by_suffix.entry((y, s)).or_default();
                if !v.contains(&key) {
                    v.push(key);
                }
            }
        }
        Index {
            reports,
            keys,
            by_key,
            by_suffix,
            cores,
            fuzzy: OnceLock::new(),
        }
    }

    /// Position of the previous year's report for the report at `pos`, and how it was found.
    fn prev_of(&self, pos: usize) -> Option<(usize, PairHow)> {
        let r = self.reports[pos].1;
        let y = r.year?;
        let key = &self.keys[pos];
        if key.is_empty() {
            return None;
        }
        let py = y - 1;
        // Several reports of one agency and year: pair with the first (by batch order).
        let first = |k: &str| self.by_key.get(&(py, k)).and_then(|v| v.first().copied());
        if let Some(p) = first(key) {
            return Some((p, PairHow::Exact));
        }
        // Previous keys ending with ours, and suffixes of ours that are previous keys.
        let mut cands: Vec<&str> = Vec::new();
        if distinctive(key) {
            if let Some(v) = self.by_suffix.get(&(py, key.as_str())) {
                cands.extend(v.iter().copied());
            }
        }
        for s in suffixes(key) {
            if self.by_key.contains_key(&(py, s)) && !cands.contains(&s) {
                cands.push(s);
            }
        }
        cands.sort();
        cands.dedup();
        match cands.as_slice() {
            [only] => first(only).map(|p| (p, PairHow::Suffix)),
            // Ambiguous: not paired automatically.
            [_, _, ..] => None,
            [] => self.fuzzy_prev(pos, py),
        }
    }

    /// The fuzzy layer: the unique best previous-year candidate, if it is the same place.
    /// Scored only when some previous-year agency is the same place, so a large batch of
    /// well-named reports never pays for a fuzzy scan.
    fn fuzzy_prev(&self, pos: usize, py: i32) -> Option<(usize, PairHow)> {
        let fx = self.fuzzy.get_or_init(|| {
            FuzzyIndex::new(
                self.reports,
                self.cores.get_or_init(|| cores_of(self.reports)),
            )
        });
        if !fx.any_same_core(pos, py) {
            return None;
        }
        let name = match_name(self.reports[pos].1);
        let mut scored: Vec<(usize, i64)> = fx
            .by_year
            .get(&py)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|&p| {
                let s = fuzzy_score(name, match_name(self.reports[p].1)).unwrap_or(0);
                (p, s)
            })
            .collect();
        scored.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(self.reports[a.0].0.cmp(&self.reports[b.0].0))
        });
        match scored.as_slice() {
            [(p, s), rest @ ..]
                if *s >= FUZZY_MIN
                    && rest.first().is_none_or(|r| r.1 < *s)
                    && same_core(name, match_name(self.reports[*p].1)) =>
            {
                Some((*p, PairHow::Fuzzy(*s)))
            }
            _ => None,
        }
    }
}

fn keys_of(reports: &[(usize, &Report)]) -> Vec<String> {
    reports
        .iter()
        .map(|(_, r)| normalise(&r.agency_key))
        .collect()
}

/// A digest of everything [`pair_reports`] reads of `reports` (each index, agency key,
/// agency and year, in order): equal digests, equal pairs (the result cache keeps the
/// pairing of an unchanged batch under it).
pub fn inputs_digest(reports: &[(usize, &Report)]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (i, r) in reports {
        h.update((*i as u64).to_le_bytes());
        for s in [&r.agency_key, &r.agency] {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        }
        match r.year {
            Some(y) => h.update([&[1u8][..], &y.to_le_bytes()].concat()),
            None => h.update([0u8]),
        }
    }
    h.finalize().into()
}

/// Pairs of (index, report) for consecutive years of the same agency (see the module doc).
/// The pair's `agency_key` is the longer (fuller) of the two keys. Sorted by agency, then year.
pub fn pair_reports(reports: &[(usize, &Report)]) -> Vec<Pair> {
    let keys = keys_of(reports);
    let cores = OnceLock::new();
    let index = Index::new(reports, &keys, &cores);
    // Each report's previous year is looked up on its own: in parallel.
    let mut pairs: Vec<Pair> = (0..reports.len())
        .into_par_iter()
        .filter_map(|pos| {
            let (ppos, how) = index.prev_of(pos)?;
            Some(pair(reports[ppos], reports[pos], how))
        })
        .collect();
    sort_pairs(&mut pairs);
    pairs
}

/// Readable order: by agency, then year (then batch order).
pub fn sort_pairs(pairs: &mut [Pair]) {
    pairs.sort_by(|a, b| {
        (&a.agency_key, a.cur_year, a.cur, a.prev).cmp(&(&b.agency_key, b.cur_year, b.cur, b.prev))
    });
}

/// The previous year's report of `cur` among `reports` (the same answer [`pair_reports`]
/// gives for it), and how it was found.
pub fn prev_of(reports: &[(usize, &Report)], cur: usize) -> Option<(usize, PairHow)> {
    let pos = reports.iter().position(|(i, _)| *i == cur)?;
    let keys = keys_of(reports);
    let cores = OnceLock::new();
    let index = Index::new(reports, &keys, &cores);
    index.prev_of(pos).map(|(p, how)| (reports[p].0, how))
}

/// The pairing of two given reports: `prev` as the year before `cur`, when the automatic
/// pairing would pair them (for `compare OLD NEW`, which is given the two files).
pub fn how_paired(prev: &Report, cur: &Report) -> Option<PairHow> {
    prev_of(&[(0, prev), (1, cur)], 1).map(|(_, how)| how)
}

/// A pair of two (index, report), `how` found.
pub fn pair(prev: (usize, &Report), cur: (usize, &Report), how: PairHow) -> Pair {
    let agency_key = if prev.1.agency_key.chars().count() > cur.1.agency_key.chars().count() {
        prev.1.agency_key.clone()
    } else {
        cur.1.agency_key.clone()
    };
    Pair {
        prev: prev.0,
        cur: cur.0,
        agency_key,
        prev_year: prev.1.year.unwrap_or_default(),
        cur_year: cur.1.year.unwrap_or_default(),
        how,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_keys_pair_but_generic_ones_do_not() {
        assert!(same_agency("洪泽区人民政府", "淮安市洪泽区人民政府"));
        assert!(same_agency("三七市镇", "余姚市三七市镇"));
        assert!(!same_agency("区人民政府", "淮安市洪泽区人民政府"));
        assert!(!same_agency("人民政府", "淮安市人民政府"));
        assert!(!same_agency("淮安市人民政府", "淮安市洪泽区人民政府"));
        assert!(!same_agency("", ""));
    }

    #[test]
    fn same_core_drops_one_generic_ending() {
        assert!(same_core("平潭综合实验区", "平潭综合实验区管委会"));
        assert!(same_core("洪泽区人民政府", "淮安市洪泽区人民政府"));
        assert!(!same_core("淮安市人民政府", "淮安市洪泽区人民政府"));
        // One list of endings: 局 and 委员会 are generic here too.
        assert!(same_core("余姚市财政", "余姚市财政局"));
        assert!(same_core("宁波市发展和改革", "宁波市发展和改革委员会"));
    }
}
