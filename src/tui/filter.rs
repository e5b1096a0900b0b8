//! Fuzzy filter over agency names that matches the Chinese characters, the full pinyin and
//! the pinyin initials (`sqs` finds 三七市镇): auditors on a server often cannot switch
//! input method. Matched positions are mapped back to the Chinese characters to highlight.
//!
//! A report goes by more than the name printed in its title: its normalised agency key
//! (`余姚市三七市镇` for 三七市镇), the issuer of its signature line and its file name are
//! matched too (the key and the issuer by pinyin as well), so `余姚` finds 三七市镇.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use pinyin::{ToPinyin, ToPinyinMulti};
use std::sync::Arc;

/// Pre-computed search forms of one name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchKey {
    pub chars: Vec<char>,
    /// The name itself (`chars` collected), kept so a keystroke does not rebuild it per item.
    name: String,
    /// Full pinyin (`sanqishizhen`), lower-case, with a map from each char to the name's char.
    pub full: String,
    full_map: Vec<usize>,
    /// Initials (`sqsz`), one per name char.
    pub initials: String,
    initials_map: Vec<usize>,
    /// The same two forms with one heteronym read differently (重庆: `chongqing`, `cq`), one
    /// entry per other reading of each heteronym (a few at most).
    alts: Vec<Forms>,
    /// Other names of the same report (normalised key, issuer, file name), matched as
    /// typed; a hit there highlights nothing in the name.
    others: Vec<String>,
    /// Pinyin forms of the other names that are Chinese (the key, the issuer).
    other_forms: Vec<Forms>,
}

/// Full pinyin and initials, each with a map back to the name's chars.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
            .collect::<Vec<Forms>>();
        // Readings that differ only in tone give the same plain forms: an alternative equal to
        // the usual forms (or to an earlier alternative) could only tie, and ties keep the
        // first match, so it is dropped once here rather than scored on every keystroke.
        let mut alts = alts;
        let mut seen: Vec<Forms> = Vec::new();
        alts.retain(|a| {
            let same_as_usual = a.full == f.full
                && a.full_map == f.full_map
                && a.initials == f.initials
                && a.initials_map == f.initials_map;
            if same_as_usual || seen.contains(a) {
                return false;
            }
            seen.push(a.clone());
            true
        });
        SearchKey {
            name: chars.iter().collect(),
            chars,
            full: f.full,
            full_map: f.full_map,
            initials: f.initials,
            initials_map: f.initials_map,
            alts,
            others: Vec::new(),
            other_forms: Vec::new(),
        }
    }

    /// The key of a name that also goes by `others` (normalised agency key, issuer, file
    /// name). `pinyin` says which of them are also matched by pinyin (names, not file
    /// names). Blank ones and repeats of the name are left out.
    pub fn with_others(name: &str, others: &[(&str, bool)]) -> SearchKey {
        let mut key = SearchKey::new(name);
        for &(other, pinyin) in others {
            let other = other.trim();
            if other.is_empty() || other == key.name || key.others.iter().any(|o| o == other) {
                continue;
            }
            key.others.push(other.to_string());
            if pinyin && other.chars().any(|c| !readings(c).is_empty()) {
                let chars: Vec<char> = other.chars().collect();
                let rs: Vec<Vec<&'static str>> = chars.iter().map(|c| readings(*c)).collect();
                key.other_forms.push(forms(&chars, &rs, None));
            }
        }
        key
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
        let q: std::borrow::Cow<str> = if query.contains(char::is_whitespace) {
            query.chars().filter(|c| !c.is_whitespace()).collect()
        } else {
            query.into()
        };
        let q: &str = &q;
        if q.is_empty() {
            return Some(Match {
                score: 0,
                positions: Vec::new(),
            });
        }
        let mut best: Option<Match> = None;
        // `fallback`: tried only while nothing matched (the other names of the report).
        let mut consider = |hay: &str, map: Option<&[usize]>, fallback: bool| {
            if fallback && best.is_some() {
                return;
            }
            // Most names do not hold the query's characters in order at all: that cheap test
            // spares the scoring matcher (and its allocations) on them.
            if !may_match(hay, q) {
                return;
            }
            if let Some((score, idx)) = self.inner.fuzzy_indices(hay, q) {
                let mut positions: Vec<usize> = idx
                    .into_iter()
                    .filter_map(|i| match map {
                        Some(m) => m.get(i).copied(),
                        None => Some(i),
                    })
                    .collect();
                positions.sort_unstable();
                positions.dedup();
                if best.as_ref().is_none_or(|b| score > b.score) {
                    best = Some(Match { score, positions });
                }
            }
        };
        consider(&key.name, None, false);
        consider(&key.initials, Some(&key.initials_map), false);
        consider(&key.full, Some(&key.full_map), false);
        for alt in &key.alts {
            // A form equal to the usual one (same map) can only tie with it: skip.
            if alt.initials != key.initials || alt.initials_map != key.initials_map {
                consider(&alt.initials, Some(&alt.initials_map), false);
            }
            if alt.full != key.full || alt.full_map != key.full_map {
                consider(&alt.full, Some(&alt.full_map), false);
            }
        }
        // The other names count only when the printed one does not match (the printed
        // one's characters are what can be highlighted).
        let none: &[usize] = &[];
        for other in &key.others {
            consider(other, Some(none), true);
        }
        for f in &key.other_forms {
            consider(&f.initials, Some(none), true);
            consider(&f.full, Some(none), true);
        }
        best
    }
}

/// One run of the query over the list: the ids to try, in display order, and their search
/// keys. It owns shared snapshots, so it can run on the matcher worker while the screen goes
/// on; `gen` tells its results from those of an older query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterJob {
    pub gen: u64,
    pub query: String,
    /// Item ids to match, in display order (a narrowing query only tries the last result).
    pub order: Arc<Vec<usize>>,
    /// Search keys by item id.
    pub keys: Arc<Vec<Arc<SearchKey>>>,
}

/// Matches found in the next stretch of a job's `order`, in display order.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterChunk {
    pub gen: u64,
    /// (item id, matched char positions of the name).
    pub hits: Vec<(usize, Vec<usize>)>,
    /// How many ids of `order` have been tried, this chunk included.
    pub scanned: usize,
    pub total: usize,
    pub done: bool,
}

impl FilterJob {
    /// Match every id in order, handing results over at least every `every` (and once at
    /// the end). Stops without finishing when `stale()` says a newer query replaced it or
    /// `send` says nobody listens.
    pub fn run(
        &self,
        matcher: &Matcher,
        every: std::time::Duration,
        stale: impl Fn() -> bool,
        mut send: impl FnMut(FilterChunk) -> bool,
    ) {
        let total = self.order.len();
        let mut hits = Vec::new();
        let mut last = std::time::Instant::now();
        for (i, &id) in self.order.iter().enumerate() {
            if let Some(m) = self
                .keys
                .get(id)
                .and_then(|k| matcher.matches(k, &self.query))
            {
                hits.push((id, m.positions));
            }
            let scanned = i + 1;
            // The clock is read every 256 keys: cheap beside the matching itself.
            if scanned % 256 == 0 && scanned < total && last.elapsed() >= every {
                if stale() {
                    return;
                }
                let chunk = FilterChunk {
                    gen: self.gen,
                    hits: std::mem::take(&mut hits),
                    scanned,
                    total,
                    done: false,
                };
                if !send(chunk) {
                    return;
                }
                last = std::time::Instant::now();
            }
        }
        if stale() {
            return;
        }
        send(FilterChunk {
            gen: self.gen,
            hits,
            scanned: total,
            total,
            done: true,
        });
    }
}

/// False only when `hay` cannot match `query` in any fuzzy matcher: some query character
/// (ASCII letters compared without case) does not appear, in order, in `hay`. Non-ASCII
/// characters that have case are never ruled out (the matcher folds them its own way).
fn may_match(hay: &str, query: &str) -> bool {
    let mut hay = hay.chars();
    'query: for qc in query.chars() {
        if !qc.is_ascii() && (qc.is_lowercase() || qc.is_uppercase()) {
            return true;
        }
        for hc in hay.by_ref() {
            if hc == qc || hc.is_ascii() && hc.eq_ignore_ascii_case(&qc) {
                continue 'query;
            }
            if !hc.is_ascii() && (hc.is_lowercase() || hc.is_uppercase()) {
                return true;
            }
        }
        return false;
    }
    true
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
mod other_names_tests {
    use super::*;

    #[test]
    fn key_issuer_and_file_name_match_without_highlight() {
        let m = Matcher::default();
        let k = SearchKey::with_others(
            "三七市镇2020",
            &[
                ("余姚市三七市镇2020", true),
                ("余姚市三七市镇_2020.json", false),
            ],
        );
        let hit = m.matches(&k, "余姚").expect("the key holds 余姚");
        assert!(hit.positions.is_empty(), "{hit:?}");
        assert!(m.matches(&k, "yuyao").is_some(), "pinyin of the key");
        assert!(m.matches(&k, "yyss").is_some(), "initials of the key");
        assert!(m.matches(&k, ".json").is_some(), "the file name");
        // The printed name still wins, with its characters highlighted.
        assert_eq!(m.matches(&k, "三七").expect("name").positions, vec![0, 1]);
        let k = SearchKey::with_others("平潭综合实验区", &[("平潭综合实验区管委会", true)]);
        assert!(m.matches(&k, "管委会").is_some(), "the issuer");
        assert!(m.matches(&k, "余姚").is_none());
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

#[cfg(test)]
mod prefilter_tests {
    use super::*;

    /// The cheap prefilter never rules out what the scoring matcher would match.
    #[test]
    fn prefilter_never_hides_a_match() {
        let inner = SkimMatcherV2::default().ignore_case();
        let names = [
            "余姚市三七市镇2020",
            "平潭综合实验区",
            "淮安市洪泽区人民政府2024",
            "重庆市",
            "ABC局 Ｘ区",
            "Straße办公室",
        ];
        let queries = [
            "sqs", "ahx", "淮安", "PT", "pt2020", "cq", "abc", "ＡＢ", "x", "strasse", "ß", "局",
            "2024", "zz", "hzq",
        ];
        for n in names {
            let k = SearchKey::new(n);
            let mut hays = vec![k.name.clone(), k.initials.clone(), k.full.clone()];
            for a in &k.alts {
                hays.push(a.initials.clone());
                hays.push(a.full.clone());
            }
            for h in &hays {
                for q in queries {
                    if inner.fuzzy_indices(h, q).is_some() {
                        assert!(may_match(h, q), "{h} / {q}");
                    }
                }
            }
        }
    }
}
