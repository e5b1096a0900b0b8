//! Fuzzy filter over agency names that matches the Chinese characters, the full pinyin and
//! the pinyin initials (`sqs` finds 三七市镇): auditors on a server often cannot switch
//! input method. Matched positions are mapped back to the Chinese characters to highlight.
//!
//! A report goes by more than the name printed in its title: its normalised agency key
//! (`余姚市三七市镇` for 三七市镇), the issuer of its signature line and its file name are
//! matched too (the key and the issuer by pinyin as well), so `余姚` finds 三七市镇.
//!
//! A key is held for every report of the batch, so it is compact: every form one after the
//! other in one string, without the maps from a pinyin form's letters back to the name's
//! characters — those are worked out again for the form that matched, which is cheap beside
//! the matching itself.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use pinyin::{ToPinyin, ToPinyinMulti};
use std::sync::Arc;

/// Pre-computed search forms of one name: the name, its initials (`sqsz`), its full pinyin
/// (`sanqishizhen`), the same two with a heteronym read otherwise (重庆: `chongqing`, `cq`),
/// then the report's other names (normalised key, issuer, file name) and their pinyin forms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchKey {
    /// The forms, one after another.
    text: Box<str>,
    /// Where each form ends in `text`, and what it is; the name first.
    forms: Box<[Stretch]>,
}

/// One form of a key: its end in the key's text and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stretch {
    end: u32,
    form: Form,
}

/// What a form of the key is, and so how its matched letters map to the name's characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// The name as printed: matched positions are its characters.
    Name,
    /// One letter per character of the name (the first with the usual readings, then with
    /// one heteronym read otherwise).
    Initials,
    /// The name's characters spelled out in pinyin (the usual readings first).
    Full,
    /// Another name of the report or its pinyin: it counts only when no form of the printed
    /// name matches, and highlights nothing.
    Other,
}

/// One character of the name read otherwise: (its index, which of its readings).
type Pick = (usize, usize);

/// The reading `which` of a character (plain pinyin; 0 is the usual one); `None` when it is
/// not a hanzi or has no such reading.
fn reading(c: char, which: usize) -> Option<&'static str> {
    match c.to_pinyin_multi() {
        Some(m) => m.get_opt(which).map(|p| p.plain()),
        None if which == 0 => c.to_pinyin().map(|p| p.plain()),
        None => None,
    }
}

/// How many readings a character has (0 when it is not a hanzi).
fn reading_count(c: char) -> usize {
    match c.to_pinyin_multi() {
        Some(m) => m.count(),
        None => usize::from(c.to_pinyin().is_some()),
    }
}

/// Full pinyin and initials of a name, each with a map back to the name's chars.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Spelled {
    full: String,
    full_map: Vec<usize>,
    initials: String,
    initials_map: Vec<usize>,
}

/// The pinyin forms of a name: each char read as `pick` says (its usual reading when
/// `None`, or at other chars).
fn spell(chars: &[char], pick: Option<Pick>) -> Spelled {
    let mut f = Spelled::default();
    for (i, c) in chars.iter().enumerate() {
        let which = match pick {
            Some((at, which)) if at == i => which,
            _ => 0,
        };
        match reading(*c, which) {
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

/// The other readings a name's forms are also spelled with: up to six, two per heteronym at
/// most.
fn picks(chars: &[char]) -> impl Iterator<Item = Pick> + '_ {
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| (i, reading_count(*c)))
        .filter(|(_, n)| *n > 1)
        .flat_map(|(i, n)| (1..n.min(3)).map(move |w| (i, w)))
        .take(6)
}

/// For each letter of `form` (the name's initials or full pinyin as the key holds them, with
/// whichever reading spelled it), the index of the name's character it comes from.
fn letters_to_chars(name: &str, form_text: &str, form: Form) -> Vec<usize> {
    let chars: Vec<char> = name.chars().collect();
    let map = std::iter::once(None)
        .chain(picks(&chars).map(Some))
        .map(|pick| spell(&chars, pick))
        .find_map(|s| match form {
            Form::Full if s.full == form_text => Some(s.full_map),
            Form::Initials if s.initials == form_text => Some(s.initials_map),
            _ => None,
        });
    map.unwrap_or_default()
}

/// A key being put together.
#[derive(Default)]
struct Builder {
    text: String,
    forms: Vec<Stretch>,
}

impl Builder {
    fn push(&mut self, s: &str, form: Form) {
        self.text.push_str(s);
        // A key longer than 4 GB is not a name: what does not fit is left out.
        if let Ok(end) = u32::try_from(self.text.len()) {
            self.forms.push(Stretch { end, form });
        }
    }

    /// Whether a form of the kind `kind` (any when `None`) already reads `s`.
    fn holds(&self, s: &str, kind: Option<Form>) -> bool {
        self.stretches()
            .any(|(text, form)| text == s && kind.is_none_or(|k| k == form))
    }

    fn stretches(&self) -> impl Iterator<Item = (&str, Form)> {
        stretches(&self.text, &self.forms)
    }

    fn build(self) -> SearchKey {
        SearchKey {
            text: self.text.into_boxed_str(),
            forms: self.forms.into_boxed_slice(),
        }
    }
}

/// Each form's text with what it is.
fn stretches<'a>(text: &'a str, forms: &'a [Stretch]) -> impl Iterator<Item = (&'a str, Form)> {
    let mut start = 0;
    forms.iter().map(move |s| {
        let end = s.end as usize;
        let t = &text[start..end];
        start = end;
        (t, s.form)
    })
}

impl SearchKey {
    pub fn new(name: &str) -> SearchKey {
        SearchKey::with_others(name, &[])
    }

    /// The key of a name that also goes by `others` (normalised agency key, issuer, file
    /// name). `pinyin` says which of them are also matched by pinyin (names, not file
    /// names). Blank ones and repeats of the name are left out.
    pub fn with_others(name: &str, others: &[(&str, bool)]) -> SearchKey {
        let chars: Vec<char> = name.chars().collect();
        let mut b = Builder::default();
        b.push(name, Form::Name);
        let usual = spell(&chars, None);
        b.push(&usual.initials, Form::Initials);
        b.push(&usual.full, Form::Full);
        for pick in picks(&chars) {
            // Readings that differ only in tone give the same plain forms, and one reading
            // changed leaves the others' letters where they were: a form whose text is
            // already there could only tie with it, and ties keep the first match.
            let alt = spell(&chars, Some(pick));
            if !b.holds(&alt.initials, Some(Form::Initials)) {
                b.push(&alt.initials, Form::Initials);
            }
            if !b.holds(&alt.full, Some(Form::Full)) {
                b.push(&alt.full, Form::Full);
            }
        }
        // The other names, then their pinyin. Each is tried only while nothing matched, so
        // one that reads as an earlier form could never count: left out.
        let mut spelled = Vec::new();
        for &(other, pinyin) in others {
            let other = other.trim();
            if other.is_empty() || other == name || b.holds(other, None) {
                continue;
            }
            b.push(other, Form::Other);
            if pinyin && other.chars().any(|c| reading_count(c) > 0) {
                let chars: Vec<char> = other.chars().collect();
                spelled.push(spell(&chars, None));
            }
        }
        for f in spelled {
            for s in [&f.initials, &f.full] {
                if !b.holds(s, None) {
                    b.push(s, Form::Other);
                }
            }
        }
        b.build()
    }

    fn stretches(&self) -> impl Iterator<Item = (&str, Form)> {
        stretches(&self.text, &self.forms)
    }

    fn form(&self, want: Form) -> &str {
        self.stretches()
            .find(|(_, f)| *f == want)
            .map_or("", |(t, _)| t)
    }

    /// The name matched (as printed, with the year when it has one).
    pub fn name(&self) -> &str {
        self.form(Form::Name)
    }

    /// The name's full pinyin with the usual readings (`sanqishizhen`): the list sorts by it.
    pub fn full(&self) -> &str {
        self.form(Form::Full)
    }

    /// The name's initials with the usual readings (`sqsz`).
    pub fn initials(&self) -> &str {
        self.form(Form::Initials)
    }

    /// Heap bytes held by the key (what a batch of keys costs beside the reports).
    pub fn heap_bytes(&self) -> usize {
        self.text.len() + std::mem::size_of_val(&*self.forms)
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
    /// Best match of `query` against the name, its full pinyin and its initials (the
    /// first of equal scores), else the first of the other names that matches.
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
        let mut best: Option<(i64, Form, &str, Vec<usize>)> = None;
        for (hay, form) in key.stretches() {
            // The other names come last, and count only when the printed one does not
            // match (the printed one's characters are what can be highlighted).
            if form == Form::Other && best.is_some() {
                break;
            }
            // Most names do not hold the query's characters in order at all: that cheap test
            // spares the scoring matcher (and its allocations) on them.
            if !may_match(hay, q) {
                continue;
            }
            if let Some((score, idx)) = self.inner.fuzzy_indices(hay, q) {
                if best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, form, hay, idx));
                }
            }
        }
        let (score, form, hay, idx) = best?;
        let mut positions = match form {
            Form::Name => idx,
            Form::Other => Vec::new(),
            Form::Initials | Form::Full => {
                let map = letters_to_chars(key.name(), hay, form);
                idx.into_iter()
                    .filter_map(|i| map.get(i).copied())
                    .collect()
            }
        };
        positions.sort_unstable();
        positions.dedup();
        Some(Match { score, positions })
    }
}

/// Who asked for a run of the matcher: the list's filter, or the `o` report chooser. Each
/// has its own generations, so a query of one never makes the other's results stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    List,
    Goto,
}

impl Purpose {
    /// 0 or 1: the purpose's slot in the matcher worker.
    pub fn index(self) -> usize {
        match self {
            Purpose::List => 0,
            Purpose::Goto => 1,
        }
    }
}

/// One run of a query over the batch: the ids to try, in display order, and their search
/// keys. It owns shared snapshots, so it can run on the matcher worker while the screen goes
/// on; `gen` tells its results from those of an older query of the same purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterJob {
    pub purpose: Purpose,
    pub gen: u64,
    pub query: String,
    /// Item ids to match, in display order (a narrowing query only tries the last result).
    pub order: Arc<Vec<usize>>,
    /// Search keys by item id.
    pub keys: Arc<Vec<Arc<SearchKey>>>,
}

/// Matches enough to fill the list on a large terminal: the first hand-over of a run comes
/// once this many have matched.
const SCREENFUL: usize = 100;

/// One item that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: usize,
    pub score: i64,
    /// Matched char positions of the name (empty when another name matched).
    pub positions: Vec<usize>,
}

/// Matches found in the next stretch of a job's `order`, in display order.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterChunk {
    pub purpose: Purpose,
    pub gen: u64,
    pub hits: Vec<Hit>,
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
        send: impl FnMut(FilterChunk) -> bool,
    ) {
        self.run_from(0, matcher, every, stale, || false, send);
    }

    /// [`FilterJob::run`] from the id at `start` of `order`, pausing after a hand-over when
    /// `pause()` says so: then it returns where to go on from.
    pub fn run_from(
        &self,
        start: usize,
        matcher: &Matcher,
        every: std::time::Duration,
        stale: impl Fn() -> bool,
        pause: impl Fn() -> bool,
        mut send: impl FnMut(FilterChunk) -> bool,
    ) -> Option<usize> {
        let total = self.order.len();
        let mut hits = Vec::new();
        let mut last = std::time::Instant::now();
        let mut first = start == 0;
        for (i, &id) in self.order.iter().enumerate().skip(start) {
            if let Some(m) = self
                .keys
                .get(id)
                .and_then(|k| matcher.matches(k, &self.query))
            {
                hits.push(Hit {
                    id,
                    score: m.score,
                    positions: m.positions,
                });
            }
            let scanned = i + 1;
            // The clock is read every 256 keys: cheap beside the matching itself. The first
            // hand-over comes as soon as a screenful has matched: the first frame needs no
            // more.
            let screenful = first && hits.len() >= SCREENFUL;
            if scanned % 256 == 0 && scanned < total && (screenful || last.elapsed() >= every) {
                first = false;
                if stale() {
                    return None;
                }
                let chunk = FilterChunk {
                    purpose: self.purpose,
                    gen: self.gen,
                    hits: std::mem::take(&mut hits),
                    scanned,
                    total,
                    done: false,
                };
                if !send(chunk) {
                    return None;
                }
                if pause() {
                    return Some(scanned);
                }
                last = std::time::Instant::now();
            }
        }
        if stale() {
            return None;
        }
        send(FilterChunk {
            purpose: self.purpose,
            gen: self.gen,
            hits,
            scanned: total,
            total,
            done: true,
        });
        None
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
        assert_eq!(k.initials(), "yyssqsz");
        assert_eq!(k.full(), "yuyaoshisanqishizhen");
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

    /// The letters of the reading that matched are mapped back to the characters they
    /// spell, whichever reading of the heteronym it was.
    #[test]
    fn either_reading_highlights_the_characters_it_spells() {
        let m = Matcher::default();
        let k = SearchKey::new("重庆市");
        for q in ["chongqing", "zhongqing", "cqs", "zqs", "重庆"] {
            let hit = m.matches(&k, q).unwrap_or_else(|| panic!("{q}: {k:?}"));
            let want: &[usize] = if q.ends_with('s') {
                &[0, 1, 2]
            } else {
                &[0, 1]
            };
            assert_eq!(hit.positions, want, "{q}");
        }
        // 长 read zhang: the letters of 沙 and 市 are still theirs.
        let k = SearchKey::new("长沙市");
        assert_eq!(m.matches(&k, "zhangsha").expect("zhang").positions, [0, 1]);
        assert_eq!(m.matches(&k, "shashi").expect("sha shi").positions, [1, 2]);
    }
}

#[cfg(test)]
mod compact_tests {
    use super::*;

    /// A key is held for every report: its forms share one string, the letter-to-character
    /// maps are not kept, and names that repeat a form are left out.
    #[test]
    fn keys_are_compact_and_hold_each_form_once() {
        let name = "三七市镇2020";
        let k = SearchKey::with_others(
            name,
            &[
                ("余姚市三七市镇2020", true),
                ("余姚市三七市镇人民政府", true),
                ("余姚市三七市镇_2020.json", false),
            ],
        );
        let forms: Vec<&str> = k.stretches().map(|(t, _)| t).collect();
        let mut unique = forms.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), forms.len(), "{forms:?}");
        // The name, its two pinyin forms and two more with 市 read fu, three other names and
        // the pinyin of two of them.
        assert_eq!(forms.len(), 5 + 3 + 4, "{forms:?}");
        assert!(forms.contains(&"sqfz2020"), "{forms:?}");
        assert_eq!(
            k.heap_bytes(),
            forms.iter().map(|f| f.len()).sum::<usize>() + 8 * forms.len()
        );
        // Blank names and repeats of the name add nothing.
        let same = SearchKey::with_others(name, &[(name, true), ("  ", true), (name, false)]);
        assert_eq!(same, SearchKey::new(name));
        assert_eq!(same.name(), name);
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
            let hays: Vec<&str> = k
                .stretches()
                .filter(|(_, f)| *f != Form::Other)
                .map(|(t, _)| t)
                .collect();
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

#[cfg(test)]
mod hand_over_tests {
    use super::*;

    /// The first matches are handed over as soon as a screenful is found, without waiting
    /// for the hand-over interval; the rest then come at the interval (here: at the end).
    #[test]
    fn the_first_screenful_is_handed_over_at_once() {
        let keys: Vec<Arc<SearchKey>> = (0..2_000)
            .map(|_| Arc::new(SearchKey::new("三七市镇")))
            .collect();
        let job = FilterJob {
            purpose: Purpose::List,
            gen: 1,
            query: "sqs".into(),
            order: Arc::new((0..keys.len()).collect()),
            keys: Arc::new(keys),
        };
        let mut chunks = Vec::new();
        job.run(
            &Matcher::default(),
            std::time::Duration::MAX,
            || false,
            |c| {
                chunks.push((c.scanned, c.hits.len(), c.done));
                true
            },
        );
        assert_eq!(chunks, [(256, 256, false), (2_000, 2_000 - 256, true)]);
    }
}
