//! Fuzzy filter over agency names that matches the Chinese characters, the full pinyin and
//! the pinyin initials (`sqs` finds 三七市镇): auditors on a server often cannot switch
//! input method. Matched positions are mapped back to the Chinese characters to highlight.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use pinyin::{ToPinyin, ToPinyinMulti};

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
    /// The same two forms with one heteronym read differently (重庆: `chongqing`, `cq`), one
    /// entry per other reading of each heteronym (a few at most).
    alts: Vec<Forms>,
}

/// Full pinyin and initials, each with a map back to the name's chars.
#[derive(Debug, Clone, Default, PartialEq)]
struct Forms {
    full: String,
    full_map: Vec<usize>,
    initials: String,
    initials_map: Vec<usize>,
}

/// Readings of a character (plain pinyin), the usual one first; empty when not a hanzi.
fn readings(c: char) -> Vec<&'static str> {
    match c.to_pinyin_multi() {
        Some(m) => m.into_iter().map(|p| p.plain()).collect(),
        None => c.to_pinyin().map(|p| vec![p.plain()]).unwrap_or_default(),
    }
}

/// The pinyin forms of a name: each char read as `pick(i)` says (its usual reading when
/// `None`).
fn forms(chars: &[char], readings: &[Vec<&'static str>], pick: Option<(usize, usize)>) -> Forms {
    let mut f = Forms::default();
    for (i, c) in chars.iter().enumerate() {
        let r = match pick {
            Some((at, which)) if at == i => readings[i].get(which),
            _ => readings[i].first(),
        };
        match r {
            Some(p) => {
                for pc in p.chars() {
                    f.full.push(pc);
                    f.full_map.push(i);
                }
                if let Some(first) = p.chars().next() {
                    f.initials.push(first);
                    f.initials_map.push(i);
                }
            }
            None => {
                for lc in c.to_lowercase() {
                    f.full.push(lc);
                    f.full_map.push(i);
                    f.initials.push(lc);
                    f.initials_map.push(i);
                }
            }
        }
    }
    f
}

impl SearchKey {
    pub fn new(name: &str) -> SearchKey {
        let chars: Vec<char> = name.chars().collect();
        let readings: Vec<Vec<&'static str>> = chars.iter().map(|c| readings(*c)).collect();
        let f = forms(&chars, &readings, None);
        let alts = readings
            .iter()
            .enumerate()
            .filter(|(_, r)| r.len() > 1)
            .flat_map(|(i, r)| (1..r.len().min(3)).map(move |w| (i, w)))
            .take(6)
            .map(|pick| forms(&chars, &readings, Some(pick)))
            .collect();
        SearchKey {
            chars,
            full: f.full,
            full_map: f.full_map,
            initials: f.initials,
            initials_map: f.initials_map,
            alts,
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
        for alt in &key.alts {
            consider(&alt.initials, Some(&alt.initials_map), 0);
            consider(&alt.full, Some(&alt.full_map), 0);
        }
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

#[cfg(test)]
mod heteronym_tests {
    use super::*;

    #[test]
    fn heteronyms_match_either_reading() {
        let m = Matcher::default();
        let k = SearchKey::new("重庆市");
        assert!(m.matches(&k, "cqs").is_some(), "{k:?}");
        assert!(m.matches(&k, "chongqing").is_some(), "{k:?}");
        let k = SearchKey::new("长沙市");
        assert!(m.matches(&k, "css").is_some(), "{k:?}");
        assert!(m.matches(&SearchKey::new("行政服务中心"), "xzfw").is_some());
    }
}
