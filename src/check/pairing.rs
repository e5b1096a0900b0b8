//! Pairing reports of the same agency in consecutive years (issue item 5): by normalised
//! agency key, or when one key ends with the other (`洪泽区人民政府` ↔ `淮安市洪泽区人民政府`).

use super::Pair;
use crate::model::Report;
use std::collections::{BTreeMap, HashMap};

/// Generic endings that do not identify an agency on their own.
const GENERIC: &[&str] = &[
    "人民政府",
    "政府",
    "管委会",
    "管理委员会",
    "办公室",
    "办公厅",
    "委员会",
    "局",
    "委",
    "办",
];

/// Normalise a key for matching: drop whitespace and punctuation.
pub fn normalise(key: &str) -> String {
    key.chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !"·・（）()".contains(*c))
        .collect()
}

/// True when `short` is distinctive enough to stand for an agency as a suffix.
fn distinctive(short: &str) -> bool {
    let mut core = short;
    for g in GENERIC {
        if let Some(s) = core.strip_suffix(g) {
            core = s;
            break;
        }
    }
    core.chars().count() >= 2 && short.chars().count() >= 3
}

/// Whether two agency keys name the same agency.
pub fn same_agency(a: &str, b: &str) -> bool {
    let (a, b) = (normalise(a), normalise(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    long.ends_with(short.as_str()) && distinctive(short)
}

/// All char-boundary suffixes of `s` (including `s`) that are distinctive.
fn suffixes(s: &str) -> impl Iterator<Item = &str> {
    s.char_indices()
        .map(move |(i, _)| &s[i..])
        .filter(|x| distinctive(x))
}

/// Pairs of (index, report) for consecutive years of the same agency. For each later report,
/// an exact key match wins; otherwise a unique suffix match; ambiguous matches are not paired.
/// The pair's `agency_key` is the longer (fuller) of the two keys.
pub fn pair_reports(reports: &[(usize, &Report)]) -> Vec<Pair> {
    // year → normalised key → indices; and year → suffix → keys.
    let mut by_key: HashMap<(i32, String), Vec<usize>> = HashMap::new();
    let mut by_suffix: HashMap<(i32, &str), Vec<String>> = HashMap::new();
    let keys: Vec<String> = reports
        .iter()
        .map(|(_, r)| normalise(&r.agency_key))
        .collect();
    for (pos, (_, r)) in reports.iter().enumerate() {
        let Some(y) = r.year else { continue };
        if keys[pos].is_empty() {
            continue;
        }
        by_key.entry((y, keys[pos].clone())).or_default().push(pos);
    }
    for (pos, (_, r)) in reports.iter().enumerate() {
        let Some(y) = r.year else { continue };
        for s in suffixes(&keys[pos]) {
            let v = by_suffix.entry((y, s)).or_default();
            if !v.contains(&keys[pos]) {
                v.push(keys[pos].clone());
            }
        }
    }
    let mut out = Vec::new();
    for (pos, (idx, r)) in reports.iter().enumerate() {
        let Some(y) = r.year else { continue };
        let key = &keys[pos];
        if key.is_empty() {
            continue;
        }
        let py = y - 1;
        // Candidate keys in the previous year: exact, prev key ends with ours, ours ends with prev.
        let prev_key: Option<String> = if by_key.contains_key(&(py, key.clone())) {
            Some(key.clone())
        } else {
            let mut cands: Vec<String> = Vec::new();
            if distinctive(key) {
                if let Some(v) = by_suffix.get(&(py, key.as_str())) {
                    cands.extend(v.iter().cloned());
                }
            }
            for s in suffixes(key) {
                if by_key.contains_key(&(py, s.to_string())) && !cands.iter().any(|c| c == s) {
                    cands.push(s.to_string());
                }
            }
            cands.sort();
            cands.dedup();
            (cands.len() == 1).then(|| cands.remove(0))
        };
        let Some(prev_key) = prev_key else { continue };
        let Some(prev_positions) = by_key.get(&(py, prev_key.clone())) else {
            continue;
        };
        // Several reports for the same agency and year: pair with the first (by batch order).
        let Some(&ppos) = prev_positions.first() else {
            continue;
        };
        let (pidx, prev) = reports[ppos];
        let agency_key = if prev.agency_key.chars().count() > r.agency_key.chars().count() {
            prev.agency_key.clone()
        } else {
            r.agency_key.clone()
        };
        out.push(Pair {
            prev: pidx,
            cur: *idx,
            agency_key,
            prev_year: py,
            cur_year: y,
        });
    }
    out.sort_by_key(|p| (p.cur, p.prev));
    // Stable order by agency then year for readable output.
    let mut grouped: BTreeMap<(String, i32), Vec<Pair>> = BTreeMap::new();
    for p in out {
        grouped
            .entry((p.agency_key.clone(), p.cur_year))
            .or_default()
            .push(p);
    }
    grouped.into_values().flatten().collect()
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
}
