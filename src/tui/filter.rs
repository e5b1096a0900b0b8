//! Fuzzy filter over agency names that matches the Chinese characters, the full pinyin and
//! the pinyin initials (`sqs` finds 三七市镇): auditors on a server often cannot switch
//! input method. Matched positions are mapped back to the Chinese characters to highlight.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use pinyin::ToPinyin;

/// Pre-computed search forms of one name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchKey {
    pub chars: Vec<char>,
    /// Full pinyin (`sanqishizhen`), lower-case, with a map from each char to the name's char.
    pub full: String,
    full_map: Vec<usize>,
    /// Initials (`sqsz`), one per name char.
    pub initials: String,
    initials_map: Vec<usize>,
}

impl SearchKey {
    pub fn new(name: &str) -> SearchKey {
        let chars: Vec<char> = name.chars().collect();
        let mut full = String::new();
        let mut full_map = Vec::new();
        let mut initials = String::new();
        let mut initials_map = Vec::new();
        for (i, c) in chars.iter().enumerate() {
            match c.to_pinyin() {
                Some(p) => {
                    for pc in p.plain().chars() {
                        full.push(pc);
                        full_map.push(i);
                    }
                    if let Some(f) = p.plain().chars().next() {
                        initials.push(f);
                        initials_map.push(i);
                    }
                }
                None => {
                    for lc in c.to_lowercase() {
                        full.push(lc);
                        full_map.push(i);
                        initials.push(lc);
                        initials_map.push(i);
                    }
                }
            }
        }
        SearchKey {
            chars,
            full,
            full_map,
            initials,
            initials_map,
        }
    }
}

/// A match: its score and the matched char positions in the original name (sorted, unique).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub score: i64,
    pub positions: Vec<usize>,
}

pub struct Matcher {
    inner: SkimMatcherV2,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            inner: SkimMatcherV2::default().ignore_case(),
        }
    }
}

impl Matcher {
    /// Best match of `query` against the name, its full pinyin and its initials.
    /// Spaces in the query are ignored. An empty query matches everything with score 0.
    pub fn matches(&self, key: &SearchKey, query: &str) -> Option<Match> {
        let q: String = query.chars().filter(|c| !c.is_whitespace()).collect();
        if q.is_empty() {
            return Some(Match {
                score: 0,
                positions: Vec::new(),
            });
        }
        let name: String = key.chars.iter().collect();
        let mut best: Option<Match> = None;
        let mut consider = |hay: &str, map: Option<&[usize]>, bonus: i64| {
            if let Some((score, idx)) = self.inner.fuzzy_indices(hay, &q) {
                let mut positions: Vec<usize> = idx
                    .into_iter()
                    .filter_map(|i| match map {
                        Some(m) => m.get(i).copied(),
                        None => Some(i),
                    })
                    .collect();
                positions.sort_unstable();
                positions.dedup();
                let score = score + bonus;
                if best.as_ref().map_or(true, |b| score > b.score) {
                    best = Some(Match { score, positions });
                }
            }
        };
        consider(&name, None, 0);
        consider(&key.initials, Some(&key.initials_map), 0);
        consider(&key.full, Some(&key.full_map), 0);
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_full_pinyin_and_hanzi() {
        let m = Matcher::default();
        let k = SearchKey::new("余姚市三七市镇");
        assert_eq!(k.initials, "yyssqsz");
        let hit = m.matches(&k, "sqs").expect("initials match");
        assert_eq!(hit.positions, vec![3, 4, 5]);
        let hit = m.matches(&k, "sanqi").expect("full pinyin match");
        assert_eq!(hit.positions, vec![3, 4]);
        let hit = m.matches(&k, "三七").expect("hanzi match");
        assert_eq!(hit.positions, vec![3, 4]);
        assert!(m
            .matches(&SearchKey::new("平潭综合实验区"), "sqs")
            .is_none());
        let hit = m
            .matches(&SearchKey::new("平潭综合实验区"), "PT")
            .expect("case-insensitive");
        assert_eq!(hit.positions, vec![0, 1]);
    }
}
